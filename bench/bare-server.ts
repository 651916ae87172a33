import { createServer } from 'node:http';

/**
 * The ceiling: a node:http server that reads each request's body and answers every POST with the
 * same small awsJson body, doing no signature check, no parsing and no storage. Run as a child
 * process by the bench; prints `bare listening on http://127.0.0.1:<port>` when ready.
 */
const BODY = '{"UserName":"bare","UserId":"bare","IdentityStoreId":"d-0000000000"}';
const HEADERS = {
  'content-type': 'application/x-amz-json-1.1',
  'content-length': String(Buffer.byteLength(BODY)),
  'x-amzn-requestid': '00000000-0000-0000-0000-000000000000',
};

const server = createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    if (request.method === 'POST') {
      response.writeHead(200, HEADERS).end(BODY);
    } else {
      response.writeHead(404).end();
    }
  });
});
server.keepAliveTimeout = 60_000;

const portArgument = process.argv.indexOf('--port');
const port = portArgument === -1 ? 0 : Number(process.argv[portArgument + 1]);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`bare listening on http://127.0.0.1:${bound}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('SIGINT', () => server.close(() => process.exit(0)));
