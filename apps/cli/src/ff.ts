import { tolerateClosedOutput } from './io.js';
import { main } from './main.js';

tolerateClosedOutput([process.stdout, process.stderr]);

process.exitCode = await main(process.argv.slice(2));
