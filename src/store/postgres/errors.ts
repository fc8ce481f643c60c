/** the database cannot be used at start (unreachable, refused, newer schema): said in one sentence, exit code 2 */
export class DatabaseError extends Error {}
