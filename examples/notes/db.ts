// Storage for the notes demo: SQLite through better-sqlite3, created on first start.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface User {
  id: number;
  username: string;
  password_hash: string;
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

export class Store {
  readonly db: Database.Database;
  readonly uploadsDir: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.uploadsDir = join(dataDir, 'uploads');
    mkdirSync(this.uploadsDir, { recursive: true });
    this.db = new Database(join(dataDir, 'notes.sqlite3'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
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

  createUser(username: string, passwordHash: string): User | null {
    try {
      const info = this.db.prepare('INSERT INTO users (username, password_hash) VALUES (?, ?)').run(username, passwordHash);
      return this.userById(Number(info.lastInsertRowid));
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null;
      throw err;
    }
  }
  userById(id: number): User | null {
    return (this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as User | undefined) ?? null;
  }
  userByName(username: string): User | null {
    return (this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as User | undefined) ?? null;
  }
  /** Deletes the user and, by cascade, their notes and attachment rows; returns stored file names to remove. */
  deleteUser(id: number): string[] {
    const files = this.db
      .prepare('SELECT a.stored_name FROM attachments a JOIN notes n ON n.id = a.note_id WHERE n.user_id = ?')
      .all(id) as { stored_name: string }[];
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
    const info = this.db
      .prepare('INSERT INTO attachments (note_id, filename, stored_name, size) VALUES (?, ?, ?, ?)')
      .run(noteId, filename, storedName, size);
    return this.attachment(noteId, Number(info.lastInsertRowid))!;
  }

  close(): void {
    this.db.close();
  }
}
