"""The command line: parse arguments, build the `Env`, call one function, map errors to a status.

No logic lives here. Each command imports its module inside the function body, so `studyaws --help`
costs no more than Typer itself (see benchmarks/startup.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

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
        from studyaws.ui import reading

        _done(reading.welcome(_env(ctx)))


@app.command()
def topics(ctx: typer.Context, json_output: JsonOpt = False) -> None:
    """List the topics with their sections, questions and scenarios.

    Example: studyaws topics --json
    """
    from studyaws.ui import reading

    _done(reading.topics(_env(ctx), json_output=json_output))


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
    from studyaws.ui import pages

    env = _env(ctx)
    if no_pager:
        env.allow_pager = False
    _done(pages.learn(env, topic, section))


@app.command()
def search(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Words to look for.")],
    json_output: JsonOpt = False,
) -> None:
    """Find notes, facts and questions that mention all the words.

    Example: studyaws search visibility timeout
    """
    from studyaws.ui import reading

    _done(reading.search(_env(ctx), words, json_output=json_output))


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
        float, typer.Option("--speed", help="Animation speed (2 = twice as fast).")
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
    """Entry point: run the app, turn every known failure into one line and an exit status."""
    import click

    from studyaws.errors import ExitStatus, ReaderGone, StudyawsError

    args = sys.argv[1:] if argv is None else argv
    try:
        result = app(args=args, prog_name="studyaws", standalone_mode=False)
    except StudyawsError as exc:
        sys.stderr.write(f"studyaws: error: {exc.message}\n")
        return int(exc.status)
    except click.UsageError as exc:
        # Missing argument, unknown option, bad value: one line, status 2.
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        sys.stderr.write(f"studyaws: error: {exc.format_message()}{hint}\n")
        return int(ExitStatus.USAGE)
    except click.ClickException as exc:
        sys.stderr.write(f"studyaws: error: {exc.format_message()}\n")
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        sys.stderr.write("\nstudyaws: interrupted\n")
        return int(ExitStatus.INTERRUPTED)
    except (ReaderGone, BrokenPipeError):
        # `studyaws learn sqs | head`: the reader left; not an error worth a traceback.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(ExitStatus.OK)
    if isinstance(result, int):
        return result
    return int(ExitStatus.OK)
