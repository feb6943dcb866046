from palmares.cli import main

raise SystemExit(main())
