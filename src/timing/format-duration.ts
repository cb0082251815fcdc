// A duration as people read it, the same in `dialsync status` and the console.

/** A duration in ms for people: "4.2 s" under 10 s, "3 min 7 s" under an hour, else "2 h 5 min"; "?" for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '?';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
