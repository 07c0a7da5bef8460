#!/usr/bin/env bash
# Runs the bot: the README's single run command. Extra arguments go to the host (e.g. --urls http://127.0.0.1:8080).
# Configuration comes from hosts/NafflesBotKit.Host/appsettings.json and the environment (see README.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# --no-launch-profile: the environment is Production unless DOTNET_ENVIRONMENT says otherwise.
exec dotnet run --project hosts/NafflesBotKit.Host -c "${CONFIGURATION:-Release}" --no-launch-profile -- "$@"
