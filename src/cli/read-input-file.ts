import { readFile } from 'node:fs/promises';
import { AppError } from '../errors.js';

/**
 * The bytes of a file an import command was given.
 * @throws AppError `INPUT_UNREADABLE`, one line naming the file and the system's code.
 */
export async function readInputFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new AppError('INPUT_UNREADABLE', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
