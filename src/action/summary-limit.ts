/** The job summary takes 1 MiB per step; characters are counted, so leave room for multi-byte ones. */
export const SUMMARY_LIMIT = 512 * 1024;
