/**
 * Checks per grade per Asia/Shanghai day, counted in Redis across the fleet (one HINCRBY per check),
 * so that `status` can say how often each grade was really checked today.
 */
import type { Redis } from 'ioredis';
import { shanghaiDay } from '../domain/dates.js';
import { GRADES, type Grade } from '../domain/grades.js';
import { KEEP_SECONDS } from './provider-call-counter.js';

/** The Redis hash of one day's checks: field = the grade the check gave, value = checks. */
export function gradeChecksKey(prefix: string, day: string): string {
  return `${prefix}:grade-checks:${day}`;
}

/** Counts one recorded check, under the grade it gave, on the Asia/Shanghai day of `now` (epoch ms). */
export async function countGradeCheck(redis: Redis, prefix: string, grade: Grade, now: number): Promise<void> {
  const key = gradeChecksKey(prefix, shanghaiDay(now));
  await redis.multi().hincrby(key, grade, 1).expire(key, KEEP_SECONDS).exec();
}

/** Checks per grade on the Asia/Shanghai day of `now` (epoch ms); a grade without checks is 0. */
export async function readGradeChecks(redis: Redis, prefix: string, now: number): Promise<{ day: string; byGrade: Record<Grade, number> }> {
  const day = shanghaiDay(now);
  const raw = await redis.hgetall(gradeChecksKey(prefix, day));
  return { day, byGrade: Object.fromEntries(GRADES.map((grade) => [grade, Number(raw[grade] ?? 0)])) as Record<Grade, number> };
}
