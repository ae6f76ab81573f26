"""Running a batch: the supervised local workers, the worker side, sharded runs (a plan of shards
and their commits, shared by both engines) and the Ray engine.

May import any room below it (sources, sinks, extract, pipeline, settings); nothing imports it
except the command line."""
