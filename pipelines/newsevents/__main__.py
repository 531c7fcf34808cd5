from newsevents.cli import main
import sys
sys.exit(main())
