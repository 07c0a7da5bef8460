// Verifies a signed interaction with discord-interactions (Discord's own library, WebCrypto Ed25519).
// Usage: node verify-interaction.mjs <publicKeyHex> <signatureHex> <timestamp> <body>
// Prints {"valid": true|false}.
import { verifyKey } from 'discord-interactions';

const [publicKey, signature, timestamp, body] = process.argv.slice(2);
const valid = await verifyKey(Buffer.from(body, 'utf8'), signature, timestamp, publicKey);
console.log(JSON.stringify({ valid }));
