// Storage for the notes demo: SQLite through better-sqlite3, created on first start.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface User {
  id: number;
  username: string;
  password_hash: string;
  /** Changed to end every session of the user (logout, account deletion); see docs/sessions.md#a-login. */
  session_epoch: string;
  created_at: string;
}
export interface Note {
  id: number;
  user_id: number;
  title: string;
  body: string;
  /** An optional link the note points to; any text the user typed (the template filters it). */
  link: string;
  created_at: string;
}
export interface Attachment {
  id: number;
  note_id: number;
  filename: string;
  stored_name: string;
  size: number;
  created_at: string;
}

// AUTOINCREMENT: an id is never handed out again, even after its account was deleted,
// so nothing that still names a deleted account (a saved cookie, a log) can point at a
// newer one.
const USERS = `
  CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    session_epoch TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
  );`;
// ONLY for the attack suite's control (`reuseIds`): without AUTOINCREMENT, as the demo first
// had it, SQLite hands the highest id out again once its account is deleted.
const USERS_REUSING_IDS = USERS.replace(' AUTOINCREMENT', '');

const newEpoch = (): string => randomBytes(16).toString('base64url');

export class Store {
  readonly db: Database.Database;
  readonly uploadsDir: string;

  constructor(dataDir: string, opts: { reuseIds?: boolean } = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.uploadsDir = join(dataDir, 'uploads');
    mkdirSync(this.uploadsDir, { recursive: true });
    this.db = new Database(join(dataDir, 'notes.sqlite3'));
    this.db.pragma('journal_mode = WAL');
    if (opts.reuseIds !== true) this.#migrateUsers();
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      ${opts.reuseIds === true ? USERS_REUSING_IDS : USERS}
      CREATE TABLE IF NOT EXISTS notes (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        link TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      CREATE TABLE IF NOT EXISTS attachments (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        stored_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
    `);
  }

  /**
   * A database made by an earlier version of the demo: users without AUTOINCREMENT (ids
   * reused) and without session epochs. The table is rebuilt in place (SQLite's own
   * procedure for schema changes: new table, copy, drop, rename), every user given a
   * random epoch. Sessions saved before hold no epoch, so they no longer log anyone in.
   */
  #migrateUsers(): void {
    const row = this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").get() as { sql: string } | undefined;
    if (row === undefined || (/AUTOINCREMENT/i.test(row.sql) && /session_epoch/.test(row.sql))) return;
    this.db.pragma('foreign_keys = OFF'); // the notes keep their users(id) references through the rebuild
    this.db.transaction(() => {
      this.db.exec(USERS.replace('IF NOT EXISTS users', 'users_new'));
      this.db.exec(
        'INSERT INTO users_new (id, username, password_hash, session_epoch, created_at) SELECT id, username, password_hash, lower(hex(randomblob(16))), created_at FROM users',
      );
      this.db.exec('DROP TABLE users');
      this.db.exec('ALTER TABLE users_new RENAME TO users');
    })();
  }

  createUser(username: string, passwordHash: string): User | null {
    try {
      const info = this.db.prepare('INSERT INTO users (username, password_hash, session_epoch) VALUES (?, ?, ?)').run(username, passwordHash, newEpoch());
      return this.userById(Number(info.lastInsertRowid));
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null;
      throw err;
    }
  }
  userById(id: number): User | null {
    return (this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as User | undefined) ?? null;
  }
  /** The user's session epoch now, or undefined when the account is gone. */
  sessionEpoch(id: number): string | undefined {
    return (this.db.prepare('SELECT session_epoch FROM users WHERE id = ?').get(id) as { session_epoch: string } | undefined)?.session_epoch;
  }
  /** Gives the user a new session epoch: every session of theirs ends. */
  endSessions(id: number): void {
    this.db.prepare('UPDATE users SET session_epoch = ? WHERE id = ?').run(newEpoch(), id);
  }
  /** Stores a new password hash (a login found the old one needed a rehash). */
  setPasswordHash(id: number, passwordHash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
  }
  userByName(username: string): User | null {
    return (this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as User | undefined) ?? null;
  }
  /** Deletes the user and, by cascade, their notes and attachment rows; returns stored file names to remove. */
  deleteUser(id: number): string[] {
    const files = this.db.prepare('SELECT a.stored_name FROM attachments a JOIN notes n ON n.id = a.note_id WHERE n.user_id = ?').all(id) as {
      stored_name: string;
    }[];
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
    return files.map((f) => f.stored_name);
  }

  notesFor(userId: number): Note[] {
    return this.db.prepare('SELECT * FROM notes WHERE user_id = ? ORDER BY id DESC').all(userId) as Note[];
  }
  note(userId: number, id: number): Note | null {
    return (this.db.prepare('SELECT * FROM notes WHERE id = ? AND user_id = ?').get(id, userId) as Note | undefined) ?? null;
  }
  createNote(userId: number, title: string, body: string, link = ''): Note {
    const info = this.db.prepare('INSERT INTO notes (user_id, title, body, link) VALUES (?, ?, ?, ?)').run(userId, title, body, link);
    return this.note(userId, Number(info.lastInsertRowid))!;
  }
  updateNote(userId: number, id: number, title: string, body: string, link = ''): boolean {
    return this.db.prepare('UPDATE notes SET title = ?, body = ?, link = ? WHERE id = ? AND user_id = ?').run(title, body, link, id, userId).changes > 0;
  }
  countNotes(userId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM notes WHERE user_id = ?').get(userId) as { n: number }).n;
  }
  deleteNote(userId: number, id: number): string[] {
    const files = this.attachments(id).map((a) => a.stored_name);
    const info = this.db.prepare('DELETE FROM notes WHERE id = ? AND user_id = ?').run(id, userId);
    return info.changes > 0 ? files : [];
  }

  attachments(noteId: number): Attachment[] {
    return this.db.prepare('SELECT * FROM attachments WHERE note_id = ? ORDER BY id').all(noteId) as Attachment[];
  }
  attachment(noteId: number, id: number): Attachment | null {
    return (this.db.prepare('SELECT * FROM attachments WHERE id = ? AND note_id = ?').get(id, noteId) as Attachment | undefined) ?? null;
  }
  addAttachment(noteId: number, filename: string, storedName: string, size: number): Attachment {
    const info = this.db.prepare('INSERT INTO attachments (note_id, filename, stored_name, size) VALUES (?, ?, ?, ?)').run(noteId, filename, storedName, size);
    return this.attachment(noteId, Number(info.lastInsertRowid))!;
  }

  close(): void {
    this.db.close();
  }
}
