"""Git hooks that enforce the course's branch and commit-message conventions.

The hooks use only the standard library so that `coursekit/run-hook` can run
them straight from a checkout, without installing the package.
"""
