#!/usr/bin/env bash
# Refreshes the playground screenshots in docs/images/ (linked from README.md and docs/sandbox.md): runs the browser
# tests against the sandbox with NBK_SCREENSHOTS_DIR set, so each main view is saved there as well. Needs
# /usr/bin/chromium (scripts/test.sh installs it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CONFIGURATION="${CONFIGURATION:-Release}"
dotnet build tests/NafflesBotKit.Playground.Tests -c "$CONFIGURATION" -v:q -nologo
NBK_SCREENSHOTS_DIR=docs/images dotnet test tests/NafflesBotKit.Playground.Tests -c "$CONFIGURATION" --no-build \
    --filter "FullyQualifiedName~PlaygroundBrowserTests" --logger "console;verbosity=minimal"
ls -l docs/images/playground-*.png
