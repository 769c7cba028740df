from tui_ftp.cli import main

raise SystemExit(main())
