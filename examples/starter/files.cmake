# The files of `seg init DIR` (issue 19): SOURCE=DEST pairs, SOURCE relative to the
# repository root, DEST relative to DIR. Read by runtime/CMakeLists.txt (what the
# embedded copy depends on) and by embed.cmake (which writes it into the binary).
# The CI recipe is examples/ci's, so the starter and the documented recipe never drift.
set(SEG_STARTER_FILES
    examples/starter/README.md=README.md
    examples/starter/.seg-lint.json=.seg-lint.json
    examples/starter/rules/schema.seg=rules/schema.seg
    examples/starter/rules/segments.seg=rules/segments.seg
    examples/starter/rules/destinations.seg=rules/destinations.seg
    examples/starter/rules/tests.seg=rules/tests.seg
    examples/ci/seg-ci.sh=ci/seg-ci.sh
    examples/ci/github-actions.yml=.github/workflows/seg.yml)
