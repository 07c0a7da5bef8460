// Connects discord.js's WebSocketManager (@discordjs/ws, native node:zlib zlib-stream, no zlib-sync) to the
// NafflesBotKit gateway emulator and checks that a peer nobody here wrote can speak to it.
// Run by tests/NafflesBotKit.Discord.Tests/Gateway/DiscordJsCompatTests.cs with EMU_API / EMU_TOKEN set.
// EMU_MODE=flow (default): exit 0 once READY, every expected GUILD_CREATE, INTERACTION_CREATE, RESUMED (after the
//   test's op 7) and a post-resume MESSAGE_CREATE have arrived.
// EMU_MODE=resume: exit 0 once RESUMED and a post-resume MESSAGE_CREATE have arrived (the test makes the
//   connection a zombie or drops it).
// EMU_MODE=fatal: exit 0 when the gateway closes with a fatal code and discord.js reports the error (the test then
//   checks that it never reconnected).
// EMU_MODE=reply: on the first INTERACTION_CREATE, answer it through @discordjs/rest as discord.js bots do: the
//   interaction callback (type 4), an edit of the original response, and an edit of the channel message
//   EMU_EDIT_CHANNEL/EMU_EDIT_MESSAGE with the bot token; exit 0 once all three succeeded (EMU_API is then the REST
//   emulator, whose GET /gateway/bot points at the gateway emulator).
// Exit 1 on an unexpected error or after EMU_TIMEOUT_MS.
import { REST } from '@discordjs/rest';
import { CompressionMethod, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';

const api = process.env.EMU_API;
const token = process.env.EMU_TOKEN;
const expectedGuilds = Number(process.env.EMU_GUILDS ?? '1');
const timeoutMs = Number(process.env.EMU_TIMEOUT_MS ?? '60000');
const mode = process.env.EMU_MODE ?? 'flow';
if (!api || !token) {
	console.error('EMU_API and EMU_TOKEN are required');
	process.exit(2);
}

const log = (line) => console.log(line);
const rest = new REST({ api, version: '10' }).setToken(token);
const manager = new WebSocketManager({
	token,
	intents: 1,
	rest,
	compression: CompressionMethod.ZlibNative,
});

const seen = { ready: false, guilds: new Set(), interaction: null, resumed: false, afterResume: false };
let done = false;

async function finish(code, why) {
	if (done) return;
	done = true;
	log(`RESULT ${code === 0 ? 'OK' : 'FAIL'} ${why} ${JSON.stringify({ ready: seen.ready, guilds: [...seen.guilds], interaction: seen.interaction, resumed: seen.resumed, afterResume: seen.afterResume })}`);
	try {
		await manager.destroy({ code: 1000, reason: 'compat done' });
	} catch {}
	process.exit(code);
}

function check() {
	if (mode === 'flow' && seen.ready && seen.guilds.size >= expectedGuilds && seen.interaction && seen.resumed && seen.afterResume) {
		void finish(0, 'all events received');
	}

	if (mode === 'resume' && seen.resumed && seen.afterResume) {
		void finish(0, 'resumed and received');
	}
}

manager.on(WebSocketShardEvents.Ready, (data, shardId) => {
	seen.ready = true;
	log(`READY shard=${shardId} session=${data.session_id} guilds=${data.guilds.length} resume_url=${data.resume_gateway_url}`);
	check();
});
manager.on(WebSocketShardEvents.Resumed, (shardId) => {
	seen.resumed = true;
	log(`RESUMED shard=${shardId}`);
	check();
});
manager.on(WebSocketShardEvents.Dispatch, (payload, shardId) => {
	if (payload.t === 'GUILD_CREATE') {
		seen.guilds.add(payload.d.id);
		log(`GUILD_CREATE shard=${shardId} id=${payload.d.id} name=${payload.d.name} seq=${payload.s}`);
	} else if (payload.t === 'INTERACTION_CREATE') {
		seen.interaction = payload.d.data?.name ?? payload.d.id;
		log(`INTERACTION_CREATE shard=${shardId} id=${payload.d.id} name=${payload.d.data?.name} seq=${payload.s}`);
		if (mode === 'reply') void reply(payload.d);
	} else if (payload.t === 'MESSAGE_CREATE' && seen.resumed) {
		seen.afterResume = true;
		log(`MESSAGE_CREATE shard=${shardId} content=${payload.d.content} seq=${payload.s}`);
	}

	check();
});
async function reply(interaction) {
	try {
		// What discord.js's ChatInputCommandInteraction#reply and #editReply send.
		await rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
			body: { type: 4, data: { content: 'pong from discord.js', flags: 64 } },
			auth: false,
		});
		log(`REPLIED id=${interaction.id}`);
		const edited = await rest.patch(`/webhooks/${interaction.application_id}/${interaction.token}/messages/@original`, {
			body: { content: 'edited by discord.js' },
			auth: false,
		});
		log(`EDITED_ORIGINAL id=${edited.id} content=${edited.content}`);
		const message = await rest.patch(`/channels/${process.env.EMU_EDIT_CHANNEL}/messages/${process.env.EMU_EDIT_MESSAGE}`, {
			body: { content: 'channel message edited by discord.js' },
		});
		log(`EDITED_MESSAGE id=${message.id} content=${message.content}`);
		await finish(0, 'replied and edited');
	} catch (error) {
		log(`ERROR reply ${error?.stack ?? error}`);
		await finish(1, 'reply failed');
	}
}

manager.on(WebSocketShardEvents.Closed, (code, shardId) => log(`CLOSED shard=${shardId} code=${code}`));
manager.on(WebSocketShardEvents.Debug, (message, shardId) => {
	if (process.env.EMU_DEBUG) log(`DEBUG shard=${shardId} ${message}`);
});
manager.on(WebSocketShardEvents.Error, (error, shardId) => {
	log(`ERROR shard=${shardId} ${error?.message ?? error}`);
	if (mode === 'fatal') {
		// Give a wrongly reconnecting client time to show itself, then report.
		setTimeout(() => void finish(0, 'fatal close reported'), 2000);
		return;
	}

	void finish(1, 'shard error');
});

setTimeout(() => void finish(1, 'timeout'), timeoutMs).unref();
try {
	await manager.connect();
	log('CONNECTED');
} catch (error) {
	log(`ERROR connect ${error?.stack ?? error}`);
	// In fatal mode the close may come before connect() settles: the shard error handler reports it.
	if (mode !== 'fatal') {
		await finish(1, 'connect failed');
	}
}
