// Signs a Discord HTTP interaction with tweetnacl (an implementation independent of the bot's NSec) and POSTs it.
// Usage: node sign-interaction.mjs <url> <seedHex> <mode> <bodyJson>
//   mode: ok | tamper-body | tamper-timestamp | wrong-key
// Prints one JSON line: {"status": <http status>, "contentType": "...", "body": "<response text>"}.
import nacl from 'tweetnacl';

const [url, seedHex, mode, body] = process.argv.slice(2);
if (!url || !seedHex || !mode || body === undefined) {
  console.error('usage: node sign-interaction.mjs <url> <seedHex> <mode> <bodyJson>');
  process.exit(2);
}

const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
const keyPair = mode === 'wrong-key' ? nacl.sign.keyPair() : nacl.sign.keyPair.fromSeed(seed);
const timestamp = String(Math.floor(Date.now() / 1000));
const signature = nacl.sign.detached(Buffer.from(timestamp + body, 'utf8'), keyPair.secretKey);

const sentBody = mode === 'tamper-body' ? body.replace('"type":', '"type" :') : body;
const sentTimestamp = mode === 'tamper-timestamp' ? String(Number(timestamp) + 1) : timestamp;

const response = await fetch(url, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/json',
    'User-Agent': 'Discord-Interactions/1.0 (+https://discord.com)',
    'X-Signature-Ed25519': Buffer.from(signature).toString('hex'),
    'X-Signature-Timestamp': sentTimestamp,
  },
  body: sentBody,
});

console.log(JSON.stringify({
  status: response.status,
  contentType: response.headers.get('content-type'),
  body: await response.text(),
  publicKey: Buffer.from(keyPair.publicKey).toString('hex'),
}));
