/** One post row as inserted by W5 (same plain values for every target). */
export interface NewPost {
  readonly authorId: number;
  readonly title: string;
  readonly body: string;
  readonly views: number;
  readonly createdAt: Date;
}

/**
 * One contender: the same operations, each written the way that library's
 * users would write them. Every operation returns a count (rows, posts, an id)
 * so a warm-up pass can check all targets did the same work.
 */
export interface Target {
  readonly name: string;
  /** Fetch one user by primary key; returns its id. */
  pkLookup(id: number): Promise<number>;
  /** 1,000 posts ordered by id from `offset`, hydrated; returns the row count. */
  page(offset: number): Promise<number>;
  /** Posts joined to their authors, author name starting with `prefix`, ordered by post id, limit 100. */
  joinFilter(prefix: string): Promise<number>;
  /** 100 users from `firstId` with all their posts (two queries); returns the posts attached. */
  usersWithPosts(firstId: number): Promise<number>;
  /** Insert all rows in one transaction, then roll it back; returns the rows inserted. */
  insertManyRolledBack(rows: readonly NewPost[]): Promise<number>;
  /** `views = views + 1` for one post, in its own transaction; returns rows updated. */
  updateInTransaction(id: number): Promise<number>;
  close(): Promise<void>;
}
