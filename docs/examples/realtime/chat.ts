import { createApp, type WebSocketConnection } from 'palisade';

export const app = createApp();

// Who is in the room, to send each message to everyone.
const room = new Set<WebSocketConnection>();

app.post('/login', async (req) => {
  const form = await req.form();
  await req.session.set('name', form.get('name') ?? 'anonymous');
  return 'welcome';
});

app.ws('/chat', async (socket, req) => {
  const name = (await req.session.get<string>('name')) ?? 'anonymous';
  room.add(socket);
  try {
    for await (const message of socket) {
      if (typeof message !== 'string') continue; // text only
      for (const other of room) void other.send(`${name}: ${message}`);
    }
  } finally {
    room.delete(socket);
  }
});
