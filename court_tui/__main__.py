from court_tui.cli import main

raise SystemExit(main())
