"""Running calls from threads released together (two workers, a double click, twenty people
pressing « S'inscrire »), for the PostgreSQL tests of « once only » and of locks (SQLite's
in-memory test database is not shared between threads)."""

import threading

from django.db import connections


def at_once(*functions):
    """Call each function in its own thread, all released at the same moment by one barrier;
    ``(results, errors)``: the values returned by the calls that succeeded and the exceptions
    of those that failed, each in the order the threads finished. Each thread's database
    connections are closed before it ends."""
    start = threading.Barrier(len(functions))
    results, errors = [], []

    def work(function):
        try:
            start.wait()
            results.append(function())
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def twice_at_once(func):
    """``func`` called in two threads started at the same moment; see ``at_once``."""
    return at_once(func, func)
