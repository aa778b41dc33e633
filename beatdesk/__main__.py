from beatdesk.cli.main import main

raise SystemExit(main())
