"""The command line: parse arguments, build the `Env`, call one function, map errors to a status.

No logic lives here. Each command imports its module inside the function body, so `studyaws --help`
costs no more than Typer itself (see benchmarks/startup.py).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TextIO

import typer

if TYPE_CHECKING:
    from studyaws.ui.env import Env

app = typer.Typer(
    name="studyaws",
    help="Study AWS messaging and serverless (SQS, SNS, Lambda) in your terminal, offline.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
AgainstOpt = Annotated[
    Optional[str],  # noqa: UP045 (typer needs Optional here)
    typer.Option(
        "--against",
        help="A real endpoint: a URL (moto server, LocalStack, ElasticMQ) or 'aws'.",
        metavar="URL|aws",
    ),
]
YesOpt = Annotated[bool, typer.Option("--yes", help="Don't ask for confirmation.")]


def _env(ctx: typer.Context) -> Env:
    env = ctx.obj
    if env is None:
        from studyaws.ui.env import Env

        env = Env.from_process()
        ctx.obj = env
    return env  # type: ignore[no-any-return]


def _done(status: int) -> None:
    if status:
        raise typer.Exit(status)


@app.callback()
def root(
    ctx: typer.Context,
    content: Annotated[
        Optional[list[Path]],  # noqa: UP045 (typer needs Optional here)
        typer.Option(
            "--content",
            help="Add a directory of your own content (repeatable; also STUDYAWS_CONTENT).",
            metavar="DIR",
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False,
) -> None:
    """Study AWS messaging and serverless (SQS, SNS, Lambda) in your terminal, offline.

    Start with `studyaws topics`, read with `studyaws learn sqs`, test yourself with
    `studyaws quiz sqs`.
    """
    from studyaws.ui.env import Env

    ctx.obj = Env.from_process(tuple(content or ()))
    if version:
        from studyaws import __version__

        typer.echo(f"studyaws {__version__}")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        from studyaws.ui import overview

        _done(overview.welcome(_env(ctx)))


@app.command()
def topics(ctx: typer.Context, json_output: JsonOpt = False) -> None:
    """List the topics with their sections, questions and scenarios.

    Example: studyaws topics --json
    """
    from studyaws.ui import overview

    _done(overview.topics(_env(ctx), json_output=json_output))


@app.command()
def learn(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="Topic id: sqs, sns or lambda.")],
    section: Annotated[Optional[str], typer.Argument(help="One section of the topic.")] = None,  # noqa: UP045
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page the output.")] = False,
) -> None:
    """Read the notes of a topic or of one section.

    Example: studyaws learn sqs visibility
    """
    from studyaws.ui import notes

    env = _env(ctx)
    if no_pager:
        env.allow_pager = False
    _done(notes.learn(env, topic, section))


@app.command()
def search(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Words to look for.")],
    json_output: JsonOpt = False,
) -> None:
    """Find notes, facts and questions that mention all the words.

    Example: studyaws search visibility timeout
    """
    from studyaws.ui import search as search_ui

    _done(search_ui.search(_env(ctx), words, json_output=json_output))


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="A content file or directory (default: the bundled course)."),
    ] = None,
) -> None:
    """Check content files and report every problem as file:line:col: CODE message.

    Example: studyaws validate ~/my-aws-notes/
    """
    from studyaws.ui import checking

    _done(checking.validate(_env(ctx), path))


@app.command()
def diagrams(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Directory to write the SVG files to.")],
) -> None:
    """Write every diagram of the course as an SVG file.

    Example: studyaws diagrams --out images/
    """
    from studyaws.ui import diagram

    _done(diagram.write_svgs(_env(ctx), out))


export_app = typer.Typer(
    help="Take the questions elsewhere: an Anki deck or a CSV file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")
TopicsArg = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(help="Topics to export (default: all of them).", metavar="[TOPIC]..."),
]


@export_app.command("anki")
def export_anki(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The deck to write, e.g. studyaws.apkg.")],
    topics: TopicsArg = None,
) -> None:
    """Write the questions as an Anki deck (re-export updates, never duplicates).

    Example: studyaws export anki studyaws.apkg sqs sns
    """
    from studyaws.ui import export

    _done(export.anki(_env(ctx), file, tuple(topics or ())))


@export_app.command("csv")
def export_csv(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The CSV file to write.")],
    topics: TopicsArg = None,
) -> None:
    """Write the questions, answers and explanations as a CSV file.

    Example: studyaws export csv questions.csv lambda
    """
    from studyaws.ui import export

    _done(export.csv_file(_env(ctx), file, tuple(topics or ())))


@app.command()
def quiz(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="Topic id, or 'all'.")],
    n: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("-n", help="Number of questions (10; an exam: 65, or the whole bank).", min=1),
    ] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Same seed, same quiz.")] = None,  # noqa: UP045
    concept: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--concept", help="Only questions about this concept."),
    ] = None,
    exam: Annotated[
        bool, typer.Option("--exam", help="A timed mock exam: no hints, feedback at the end.")
    ] = False,
    minutes: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--minutes", help="The exam's time (default: 2 minutes a question)."),
    ] = None,
    flagged: Annotated[
        bool, typer.Option("--flagged", help="Only the questions you flagged (f).")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Test yourself; every answer explained, every miss remembered.

    Example: studyaws quiz lambda -n 5 --seed 7; studyaws quiz all --exam
    """
    from studyaws.ui import quiz as quiz_ui

    _done(
        quiz_ui.quiz(
            _env(ctx),
            topic,
            n=n,
            seed=seed,
            concept=concept,
            exam=exam,
            minutes=minutes,
            flagged=flagged,
            json_output=json_output,
        )
    )


@app.command()
def review(
    ctx: typer.Context,
    n: Annotated[int, typer.Option("-n", help="At most this many questions.", min=1)] = 20,
    ahead: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--ahead", help="Also what falls due within this time, e.g. 30m.", metavar="D"
        ),
    ] = None,
    missed: Annotated[
        bool, typer.Option("--missed", help="Drill today's misses now, due or not.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Answer the questions spaced repetition says are due, most overdue first.

    Example: studyaws review -n 10; studyaws review --ahead 30m
    """
    from studyaws.ui import quiz as quiz_ui

    _done(quiz_ui.review(_env(ctx), n=n, ahead=ahead, missed=missed, json_output=json_output))


@app.command()
def progress(
    ctx: typer.Context,
    json_output: JsonOpt = False,
    export: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--export", help="Write your progress to a JSON file.", metavar="FILE"),
    ] = None,
    import_: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--import", help="Read progress from a JSON file.", metavar="FILE"),
    ] = None,
    reset: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--reset",
            help="Forget progress: a topic id, or 'all'.",
            metavar="TOPIC",
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask for confirmation.")] = False,
) -> None:
    """Show mastery per topic and concept, what is due, your streak and history.

    Example: studyaws progress --json
    """
    from studyaws.ui import progress as progress_ui

    _done(
        progress_ui.progress(
            _env(ctx),
            json_output=json_output,
            export=export,
            import_=import_,
            reset=reset,
            yes=yes,
        )
    )


@app.command()
def sandbox(
    ctx: typer.Context,
    script: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--script", help="Run commands from FILE ('-' for stdin).", metavar="FILE"),
    ] = None,
    json_output: JsonOpt = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation.")] = 0,
    against: AgainstOpt = None,
    yes: YesOpt = False,
) -> None:
    """A playground: type SQS/SNS/Lambda commands against the simulated AWS.

    Example: printf 'create-queue q\\nsend q hello\\nreceive q\\n' | studyaws sandbox --script -

    With --against, the script's SQS and SNS commands also run on a real endpoint, and the model
    and the endpoint are shown side by side.
    """
    if against is not None:
        from studyaws.ui import verify as verify_ui

        _done(
            verify_ui.sandbox_against(
                _env(ctx),
                script=script,
                against=against,
                json_output=json_output,
                seed=seed,
                yes=yes,
            )
        )
        return
    from studyaws.ui import sandbox as sandbox_ui

    _done(sandbox_ui.sandbox(_env(ctx), script=script, json_output=json_output, seed=seed))


def _positive_speed(value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise typer.BadParameter("must be a number greater than 0, like 2 or 0.5")
    return value


@app.command()
def verify(
    ctx: typer.Context,
    against: AgainstOpt = None,
    only: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--only", help="Only the cases whose name starts with PREFIX.", metavar="PREFIX"
        ),
    ] = None,
    json_output: JsonOpt = False,
    cleanup: Annotated[
        bool,
        typer.Option("--cleanup", help="Delete leftovers named studyaws-verify-… and stop."),
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Is the model right? Run the verification cases on a real SQS/SNS API and compare.

    Example: studyaws verify --against http://127.0.0.1:5000   (a moto server)
    """
    from studyaws.ui import verify as verify_ui

    _done(
        verify_ui.verify(
            _env(ctx),
            against=against,
            only=only,
            json_output=json_output,
            cleanup_only=cleanup,
            yes=yes,
        )
    )


@app.command()
def scenario(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="Scenario id (leave out to list them)."),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            "--speed", help="Animation speed (2 = twice as fast).", callback=_positive_speed
        ),
    ] = 1.0,
    step: Annotated[bool, typer.Option("--step", help="Press Enter for every event.")] = False,
    auto: Annotated[
        bool, typer.Option("--auto", help="Play hands-off: show each prediction, then its answer.")
    ] = False,
    no_animate: Annotated[
        bool, typer.Option("--no-animate", help="Plain narration, one event a line.")
    ] = False,
    show_settings: Annotated[
        bool, typer.Option("--settings", help="List the scenario's settings and their values.")
    ] = False,
    json_output: JsonOpt = False,
    settings: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--set", help="Change a setting: KEY=VALUE (repeatable).", metavar="KEY=VALUE"
        ),
    ] = None,
    compare: Annotated[
        bool,
        typer.Option("--compare", help="Show the default and the --set timelines side by side."),
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation.")] = 0,
) -> None:
    """Play a story on the simulated AWS; predict what happens at each checkpoint.

    Example: studyaws scenario dlq --set max-receives=5 --compare
    """
    from studyaws.ui import scenario as scenario_ui

    _done(
        scenario_ui.scenario(
            _env(ctx),
            name,
            speed=speed,
            step=step,
            auto=auto,
            animate=not no_animate,
            show_settings=show_settings,
            json_output=json_output,
            settings=tuple(settings or ()),
            compare=compare,
            seed=seed,
        )
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turn every known failure into one line and an exit status.

    Streams: a closed stdin reads as empty; a closed or full stdout is an error (status 1); a
    reader that went away (`studyaws topics | head -1`) ends quietly with status 0, whichever
    command was writing.
    """
    from studyaws.errors import ExitStatus, OutputError, ReaderGone

    closed = _reserve_standard_fds()
    if sys.stdin is None or 0 in closed:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (lives as long as we do)
    if sys.stderr is None or 2 in closed:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None or 1 in closed:
        _say_error(OutputError("standard output is closed").message)
        return int(ExitStatus.ERROR)
    args = sys.argv[1:] if argv is None else argv
    real_stdout = sys.stdout
    sys.stdout = _Output(real_stdout)
    try:
        status = _run(args)
        if status in (ExitStatus.OK, ExitStatus.ERROR):
            try:
                sys.stdout.flush()
            except OutputError as exc:
                _say_error(exc.message)
                _silence_stdout()
                status = int(ExitStatus.ERROR)
            except ReaderGone:
                _silence_stdout()
                status = int(ExitStatus.OK)
    finally:
        sys.stdout = real_stdout
    return status


def _run(args: list[str]) -> int:
    import click

    from studyaws.errors import ExitStatus, OutputError, ReaderGone, StudyawsError

    try:
        result = app(args=args, prog_name="studyaws", standalone_mode=False)
    except OutputError as exc:
        _say_error(exc.message)
        _silence_stdout()
        return int(exc.status)
    except StudyawsError as exc:
        _say_error(exc.message)
        return int(exc.status)
    except click.UsageError as exc:
        # Missing argument, unknown option, bad value: one line, status 2.
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        _say_error(f"{exc.format_message()}{hint}")
        return int(ExitStatus.USAGE)
    except click.ClickException as exc:
        _say_error(exc.format_message())
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        _say("\nstudyaws: interrupted\n")
        return int(ExitStatus.INTERRUPTED)
    except (ReaderGone, BrokenPipeError):
        # `studyaws learn sqs | head`: the reader left; not an error worth a traceback.
        _silence_stdout()
        return int(ExitStatus.OK)
    except MemoryError:
        _say_error("out of memory")
        return int(ExitStatus.ERROR)
    except Exception as exc:
        # A bug: still one line (the issue tracker gets the details from STUDYAWS_DEBUG=1).
        if os.environ.get("STUDYAWS_DEBUG"):
            raise
        _say_error(
            f"internal error ({type(exc).__name__}: {exc}); "
            "run again with STUDYAWS_DEBUG=1 to see where, and please report it"
        )
        return int(ExitStatus.ERROR)
    if isinstance(result, int):
        return result
    return int(ExitStatus.OK)


def _say(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr closed or full: nowhere left to say it


def _say_error(message: str) -> None:
    from studyaws.errors import printable

    _say(f"studyaws: error: {printable(message)}\n")


def _reserve_standard_fds() -> set[int]:
    """Put /dev/null on any of fds 0-2 that is closed (`<&-`): a file opened later must never
    land on one and receive our output. Returns the fds that were closed."""
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
    for fd in sorted(closed):
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    return closed


def _silence_stdout() -> None:
    """After the reader left or the disk filled, what is still buffered must not fail again
    when Python exits (that would print a traceback-like message and change the status)."""
    try:
        fd = sys.stdout.fileno()  # a StringIO (tests, an embedding program) has none: nothing to do
    except (OSError, ValueError, AttributeError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


class _Output:
    """stdout as every command writes it: a reader that went away is ReaderGone, any other write
    error an OutputError, whichever library (rich, click, print) was writing."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from studyaws.errors import OutputError, ReaderGone

        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise ReaderGone from None
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from None

    def flush(self) -> None:
        from studyaws.errors import OutputError, ReaderGone

        try:
            self._stream.flush()
        except BrokenPipeError:
            raise ReaderGone from None
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from None

    def isatty(self) -> bool:
        try:
            return bool(self._stream.isatty())
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
