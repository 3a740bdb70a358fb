"""Everything that speaks MkDocs: the `coursekit` and `coursekit-offline`
plugins, safe publication of the site, and the trial build `course check`
runs. The rest of coursekit never imports MkDocs."""
