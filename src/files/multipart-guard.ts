/**
 * A pass-through stream in front of busboy that enforces the two limits busboy cannot:
 * the size of the whole body, and the size of each part's header block.
 *
 * busboy refuses a part header past a fixed 16 KiB and calls it "Malformed part header",
 * the same words it uses for a broken header. To answer with a 413 that names the limit,
 * and to allow a lower limit, this guard finds each delimiter (RFC 7578 §4.1, RFC 2046
 * §5.1.1: `CRLF "--" boundary`) and counts the bytes up to the blank line that ends the
 * part's headers. Between delimiters it only searches with `indexOf`; it looks at single
 * bytes only inside header blocks, which the limit keeps short.
 */
import { Transform, type TransformCallback } from 'node:stream';

const CR = 13;
const LF = 10;
const DASH = 45;

// Scanner states.
/** Inside a part's body (or the preamble): searching for the next delimiter. */
const BODY = 0;
/** Just after a delimiter: `--` closes the body, anything else starts headers. */
const AFTER_DELIMITER = 1;
/** Saw one `-` after a delimiter. */
const CLOSE_DASH = 2;
/** Inside a part's header block, counting bytes until CRLF CRLF. */
const HEADER = 3;
/** After the close delimiter: the epilogue is ignored. */
const DONE = 4;

export interface GuardLimits {
  /** Largest whole body in bytes. */
  maxTotal: number;
  /** Largest header block of one part, in bytes. */
  maxPartHeader: number;
  /** Error to fail with when the body passes `maxTotal`. */
  tooLarge(): Error;
  /** Error to fail with when a part's headers pass `maxPartHeader`. */
  headerTooLarge(): Error;
}

/** Counts and checks bytes on their way to busboy; fails the stream at the first excess. */
export class MultipartGuard extends Transform {
  readonly #delimiter: Buffer;
  readonly #limits: GuardLimits;
  #total = 0;
  #state: number = BODY;
  /** Bytes kept from the end of the last chunk, so a delimiter split across chunks is found. */
  #carry: Buffer;
  #headerBytes = 0;
  /** How many bytes of CR LF CR LF have matched so far. */
  #blank = 0;

  constructor(boundary: string, limits: GuardLimits) {
    super();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.#limits = limits;
    // Like busboy, pretend the body starts with CRLF so a leading delimiter matches.
    this.#carry = Buffer.from('\r\n');
  }

  /** Bytes seen so far. */
  get total(): number {
    return this.#total;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#total += chunk.length;
    if (this.#total > this.#limits.maxTotal) return cb(this.#limits.tooLarge());
    const err = this.#scan(chunk);
    if (err !== undefined) return cb(err);
    cb(null, chunk);
  }

  #scan(chunk: Buffer): Error | undefined {
    let buf = chunk;
    let i = 0;
    while (i < buf.length) {
      switch (this.#state) {
        case DONE:
          return undefined;
        case BODY: {
          const data = this.#carry.length > 0 ? Buffer.concat([this.#carry, buf.subarray(i)]) : buf.subarray(i);
          const k = data.indexOf(this.#delimiter);
          if (k === -1) {
            const keep = this.#delimiter.length - 1;
            this.#carry = Buffer.from(data.subarray(Math.max(0, data.length - keep)));
            return undefined;
          }
          this.#carry = Buffer.alloc(0);
          buf = data;
          i = k + this.#delimiter.length;
          this.#state = AFTER_DELIMITER;
          break;
        }
        case AFTER_DELIMITER:
          if (buf[i] === DASH) {
            this.#state = CLOSE_DASH;
            i++;
          } else this.#startHeader();
          break;
        case CLOSE_DASH:
          if (buf[i] === DASH) {
            this.#state = DONE;
            return undefined;
          }
          this.#startHeader();
          break;
        case HEADER: {
          const b = buf[i++]!;
          if (++this.#headerBytes > this.#limits.maxPartHeader) return this.#limits.headerTooLarge();
          // Match CR LF CR LF; the CRLF that ends the delimiter line counts as the first pair.
          if ((b === CR && (this.#blank === 0 || this.#blank === 2)) || (b === LF && (this.#blank === 1 || this.#blank === 3))) {
            if (++this.#blank === 4) {
              this.#state = BODY;
              this.#carry = Buffer.alloc(0);
            }
          } else this.#blank = b === CR ? 1 : 0;
          break;
        }
      }
    }
    return undefined;
  }

  #startHeader(): void {
    this.#state = HEADER;
    this.#headerBytes = 0;
    this.#blank = 0;
  }
}
