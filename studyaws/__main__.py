from studyaws.cli import main

raise SystemExit(main())
