/**
 * Imported first by the recorder: Pulumi captures a stack trace for every resource, and with tsx's
 * source maps on, Node parses each module's map at load and maps every frame through it. The
 * recordings report error messages, not stack frames.
 */
process.setSourceMapsEnabled(false);
