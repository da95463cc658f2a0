from infoint_notes.cli import main

main()
