// Drives @discordjs/rest (discord.js's REST client) against the emulator: N messages per channel, all at once.
// Usage: node rest-storm.mjs <apiRoot ending in /api> <botToken> <channelId,channelId,...> <perChannel>
// Prints one JSON line: {"ok": n, "failed": n, "errors": [...], "rateLimitedEvents": n}.
import { REST } from '@discordjs/rest';

const [apiRoot, token, channelsCsv, perChannel] = process.argv.slice(2);
const rest = new REST({ api: apiRoot, version: '10', retries: 3, timeout: 15_000 }).setToken(token);
let rateLimitedEvents = 0;
rest.on('rateLimited', () => { rateLimitedEvents++; });

const jobs = [];
for (const channel of channelsCsv.split(',')) {
  for (let i = 0; i < Number(perChannel); i++) {
    jobs.push(rest.post(`/channels/${channel}/messages`, { body: { content: `djs ${i}` } }));
  }
}

const results = await Promise.allSettled(jobs);
const errors = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
console.log(JSON.stringify({ ok: results.length - errors.length, failed: errors.length, errors, rateLimitedEvents }));
