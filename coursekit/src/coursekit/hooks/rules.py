"""The course's git conventions as data.

The hooks check these rules and the "Git conventions" page is rendered from
them, so the page cannot teach something the hooks do not enforce. Every bad
example is also a test case: it must break its own rule.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
# A rule that no program can judge: the page teaches it, reviewers enforce it.
GUIDANCE = "guidance"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    why: str
    severity: str = ERROR
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One rule that one branch name or message breaks."""

    rule: Rule
    detail: str
    # False when the hook cannot correct it: the author has to rewrite by hand.
    fixable: bool = True

    def render(self) -> str:
        detail = "\n".join(f"    {line}" for line in self.detail.splitlines())
        return f"{self.rule.severity} [{self.rule.code}] {self.rule.title}\n{detail}"


# --- Branches -------------------------------------------------------------

DEFAULT_BRANCH_TYPES = (
    "feature",
    "fix",
    "docs",
    "analysis",
    "chore",
    "refactor",
    "test",
)
# What each type is for, as the page explains it.
BRANCH_TYPE_PURPOSES = {
    "feature": "a new feature or an enhancement",
    "fix": "a bug fix",
    "docs": "documentation only",
    "analysis": "an analysis or an experiment",
    "chore": "upkeep: dependencies, tooling, upgrades",
    "refactor": "restructured code that behaves the same",
    "test": "tests only",
}
TRUNK_BRANCHES = ("main", "master")
# Branches that publishing tools write and push (mike, `mkdocs gh-deploy`):
# no one works on them, so their names are not the author's to choose.
PUBLISHING_BRANCHES = ("gh-pages",)
DESCRIPTION_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ASSIGNMENT_PATTERN = r"assignment-[1-9][0-9]*"
# Prefixes people type out of habit, and the course's type each one means.
BRANCH_TYPE_ALIASES = {
    "feat": "feature",
    "features": "feature",
    "bugfix": "fix",
    "hotfix": "fix",
    "doc": "docs",
    "tests": "test",
    "refactoring": "refactor",
}

NO_COMMIT_ON_TRUNK = Rule(
    code="no-commit-on-trunk",
    title="Never commit on the trunk (main or master)",
    why=(
        "main is the trunk of trunk-based development: every fix, enhancement "
        "or upgrade is made on a short-lived branch cut from main and comes "
        "back through a reviewed pull request. Pushing main and running the "
        "checks on it are fine; only new commits on it are refused."
    ),
    good=("feature/add-login",),
    bad=("main", "master"),
)
BRANCH_NAME = Rule(
    code="branch-name",
    title="Name a branch <type>/<short-kebab-description> or assignment-<N>",
    why=(
        "The type tells a reviewer what kind of change to expect and the "
        "description says what it is, in lower-case words joined by hyphens. "
        "Names like stuff, changes or my-branch say nothing."
    ),
    good=(
        "feature/add-login",
        "fix/data-loading-error",
        "docs/update-readme",
        "analysis/compare-models",
        "assignment-1",
    ),
    bad=(
        "stuff",
        "my-branch",
        "Feature/Add_Login",
        "feat/login",
        "fix/",
        "assignment1",
    ),
)
BRANCH_RULES = (NO_COMMIT_ON_TRUNK, BRANCH_NAME)

# --- Commit messages ------------------------------------------------------

SUBJECT_SOFT_LIMIT = 50
SUBJECT_HARD_LIMIT = 72
BODY_LINE_LIMIT = 72

# Messages that git (or a rebase) writes itself are not the author's prose.
EXEMPT_SUBJECT_PREFIXES = (
    "Merge ",
    'Revert "',
    'Reapply "',
    "fixup! ",
    "squash! ",
    "amend! ",
)

MESSAGE_NOT_EMPTY = Rule(
    code="message-not-empty",
    title="Write a message",
    why="An empty message tells the next reader nothing.",
    good=("Add logger",),
    bad=("", "✨"),
)
SUBJECT_NOT_A_COMMENT = Rule(
    code="subject-not-a-comment",
    title="Do not start the subject with the comment character",
    why=(
        "When git opens an editor for the message, it drops every line that "
        "starts with # (or core.commentChar) as a comment: a subject such as "
        '"#12 Fix the login" disappears, and the next line becomes the subject '
        "or the commit is aborted as empty. Put the issue reference at the end "
        "of the subject or in the body. With git commit -m no editor opens and "
        "git keeps the line as written."
    ),
    good=(
        "Fix the login (#12)",
        "Fix the login\n\nThe session expired early.\nCloses #12.",
    ),
    bad=("#12 Fix the login", "#12 Fix the login\n\nThe session expired early."),
)
BLANK_LINE_AFTER_SUBJECT = Rule(
    code="blank-line-after-subject",
    title="Separate the subject from the body with a blank line",
    why=(
        "git log --oneline, git shortlog and pull-request titles take the first "
        "paragraph as the subject: without the blank line the body runs into it."
    ),
    good=("Add logger\n\nThe command failed silently; the log says why.",),
    bad=("Add logger\nThe command failed silently; the log says why.",),
)
SUBJECT_SHORT = Rule(
    code="subject-short",
    title=f"Keep the subject line within {SUBJECT_SOFT_LIMIT} characters",
    why=(
        "Short subjects stay readable in git log --oneline and in lists of "
        "pull requests; move the detail into the body."
    ),
    severity=WARNING,
    good=("Cache parsed slides between builds",),
    bad=("Cache the parsed slides between builds to speed up serve",),
)
SUBJECT_MAX_LENGTH = Rule(
    code="subject-max-length",
    title=f"Never make the subject longer than {SUBJECT_HARD_LIMIT} characters",
    why=f"Tools cut longer subjects off at {SUBJECT_HARD_LIMIT} characters.",
    good=("Cache parsed slides between builds",),
    bad=(
        "Cache the parsed slides between two builds so that serve reloads fast "
        "after an edit",
    ),
)
SUBJECT_CAPITALIZED = Rule(
    code="subject-capitalized",
    title="Capitalize the subject line",
    why="A subject reads like a title: it starts with a capital letter.",
    good=("Fix data loading error",),
    bad=("fix data loading error", "✨ fix data loading error"),
)
SUBJECT_NO_PERIOD = Rule(
    code="subject-no-period",
    title="Do not end the subject line with a period",
    why="The subject is a title, and every character of it counts.",
    good=("Fix data loading error",),
    bad=("Fix data loading error.",),
)
SUBJECT_IMPERATIVE = Rule(
    code="subject-imperative",
    title="Use the imperative mood in the subject line",
    why=(
        "Write the subject as a command: it completes the sentence "
        '"If applied, this commit will ...". git writes its own messages this '
        'way too: "Merge branch ...", "Revert ...".'
    ),
    good=(
        "Add connection to db",
        "Connect to db",
        "Fix data loading error",
        "Refactor the slide parser",
        "Bump ruff to 0.14",
        "Document the lab setup",
    ),
    bad=(
        "Added logger",
        "Adds logger",
        "Adding logger",
        "Fixed bug",
        "This commit adds a connection to db",
        "Connection to db added",
        ":sparkles: added login",
    ),
)
SUBJECT_NO_TYPE_PREFIX = Rule(
    code="subject-no-type-prefix",
    title="Start the subject with the change, not a type label",
    why=(
        "Conventional Commits puts a type label before the subject "
        '("feat: ", "fix(api)!: "). The course follows Chris Beams instead: '
        "the subject is a capitalized command, and the branch name already "
        "says the type of change (feature/, fix/, docs/...), so a label would "
        "repeat the branch and push the verb out of the first word. Drop the "
        "label, say a scope in words when the subject needs it, and explain a "
        'breaking change (the "!") in the body.'
    ),
    good=("Add login", "Handle a missing user in the API"),
    bad=("feat: added login", "fix(api)!: handles null", "docs: Update README"),
)
BODY_WRAPPED = Rule(
    code="body-wrapped",
    title=f"Wrap the body at {BODY_LINE_LIMIT} characters",
    why=(
        "git does not wrap text: log, format-patch and terminals show the body "
        "as it was written. A line that holds only a URL may be longer."
    ),
    good=(
        "Retry the first database connection\n\n"
        "The database container takes a few seconds to accept connections,\n"
        "so the first query of a cold start failed.\n\n"
        "https://www.postgresql.org/docs/current/app-pg-isready.html",
    ),
    bad=(
        "Retry the first database connection\n\n"
        "The database container takes a few seconds to accept connections, so "
        "the first query of a cold start failed.",
    ),
)
BODY_EXPLAINS_WHY = Rule(
    code="body-explains-why",
    title="Use the body to explain why, not what",
    why=(
        "The diff already shows what changed. The body says why the change was "
        "needed and what it affects."
    ),
    severity=GUIDANCE,
    good=(
        "Retry the first database connection\n\n"
        "The database container takes a few seconds to accept connections,\n"
        "so the first query of a cold start failed.",
    ),
    bad=(
        "Retry the first database connection\n\nAdd a loop around connect() in db.py.",
    ),
)
MESSAGE_RULES = (
    MESSAGE_NOT_EMPTY,
    SUBJECT_NOT_A_COMMENT,
    BLANK_LINE_AFTER_SUBJECT,
    SUBJECT_SHORT,
    SUBJECT_MAX_LENGTH,
    SUBJECT_CAPITALIZED,
    SUBJECT_NO_PERIOD,
    SUBJECT_IMPERATIVE,
    SUBJECT_NO_TYPE_PREFIX,
    BODY_WRAPPED,
    BODY_EXPLAINS_WHY,
)

# --- What a subject may start with ----------------------------------------

# A subject may start with emoji, gitmoji codes such as ":sparkles:" and, in
# a message git keeps "#" lines of, issue references: the rules judge the
# words after them, and corrections keep them.
SUBJECT_TAG_PATTERN = r"(?::[a-z0-9_+-]+:|#[0-9]+:?)(?=\s|$)"
# The type labels of Conventional Commits, and the course's branch types (and
# the aliases people type) used the same way: "feat: ", "fix(api)!: ".
CONVENTIONAL_COMMIT_TYPES = (
    "build",
    "chore",
    "ci",
    "docs",
    "feat",
    "fix",
    "perf",
    "refactor",
    "revert",
    "style",
    "test",
)
SUBJECT_TYPE_LABELS = frozenset(
    (*CONVENTIONAL_COMMIT_TYPES, *DEFAULT_BRANCH_TYPES, *BRANCH_TYPE_ALIASES)
)

# --- The imperative mood --------------------------------------------------
# No offline library judges the mood of a sentence well, so the check knows the
# verbs that commit subjects usually start with and recognizes their past,
# third-person and -ing forms. A first word it does not know passes.

_BASE_VERB_LIST = """
    access add address adjust align allow apply avoid begin break bring build
    bump cache call catch change check choose clarify clean close collect
    combine commit compute configure connect convert copy correct create cut
    debug declare define delete deprecate describe detect disable display do
    document drop edit enable ensure exclude explain export expose extend
    extract fetch find finish fix focus format freeze generate get give go
    handle hide hold ignore implement import improve include increase
    initialize install introduce keep label let limit link list load lock log
    make mark merge migrate move normalize open optimize pass pin polish
    prepare prevent print process publish put raise read rebuild reduce
    refactor refine register release reload remove rename render reorder
    reorganize replace report require reset resolve restore restructure retry
    return reuse revert review rewrite run save send serve set show simplify
    skip sort speed split start stop store strip support switch take teach
    tell test think tidy track translate try tweak undo unify unpin update
    upgrade upload use validate verify wait warn wrap write
"""
BASE_VERBS = frozenset(_BASE_VERB_LIST.split())
IRREGULAR_FORMS = {
    "began": "begin",
    "begun": "begin",
    "broke": "break",
    "broken": "break",
    "brought": "bring",
    "built": "build",
    "caught": "catch",
    "chose": "choose",
    "chosen": "choose",
    "did": "do",
    "done": "do",
    "found": "find",
    "froze": "freeze",
    "frozen": "freeze",
    "gave": "give",
    "given": "give",
    "gone": "go",
    "got": "get",
    "hid": "hide",
    "hidden": "hide",
    "held": "hold",
    "kept": "keep",
    "made": "make",
    "ran": "run",
    "rebuilt": "rebuild",
    "rewritten": "rewrite",
    "rewrote": "rewrite",
    "sent": "send",
    "shown": "show",
    "sped": "speed",
    "taken": "take",
    "taught": "teach",
    "thought": "think",
    "told": "tell",
    "took": "take",
    "undid": "undo",
    "undone": "undo",
    "went": "go",
    "written": "write",
    "wrote": "write",
}
# Endings of verbs the list does not know (memoize, simplify, deduplicate):
# a subject that starts with one is not read as "Connection to db added".
VERB_SUFFIXES = ("ize", "ise", "ify", "ate")
# Openers that describe the commit instead of commanding the change.
DESCRIPTIVE_OPENER_PATTERN = (
    r"(?i)this\s+(?:commit|change|patch|pr|pull\s+request)(?:\s+will)?\s+"
)
