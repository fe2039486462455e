/**
 * The employment service's integration events (public, versioned, ids and codes only): filled in by that service's issue.
 */
export {};
