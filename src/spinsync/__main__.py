from .cli import main

# Guarded: multiprocessing's "spawn" re-imports the parent's main module (as
# __mp_main__) in every worker of a sweep; it must not start the CLI there.
if __name__ == "__main__":
    main()
