/*
 * The child-to-parent frame that carries one btk_proc_result (or an error message) down the
 * runner's pipe as plain data: a fixed header with a magic, a kind and a payload length,
 * then the scalar fields and the sample arrays. No pointers cross; the reader validates
 * every size and count before trusting them.
 */
#ifndef BTK_WIRE_H
#define BTK_WIRE_H

#include "result.h"

/* Most samples one frame may carry (a sanity cap, far above any sampler's max_samples). */
#define BTK_WIRE_MAX_SAMPLES ((size_t)1 << 22)

typedef enum btk_wire_kind {
    BTK_WIRE_RESULT = 1, /* a measured btk_proc_result */
    BTK_WIRE_ERROR = 2   /* the harness could not measure: a one-line message */
} btk_wire_kind;

/* Append the frame for r to out. BTK_ENOMEM when the buffer cannot grow. */
int btk_wire_encode_result(btk_buf *out, const btk_proc_result *r);
/* Append an error frame carrying message (truncated to 255 bytes) to out. */
int btk_wire_encode_error(btk_buf *out, const char *message);

/* A benchmark process's last act: frame r (error == 0) or the last error's message
 * (error < 0), flush stdout and stderr, and write the frame to fd, retrying short writes;
 * a parent that is gone gets nothing. Closes fd. Returns 0 when a frame was made (sent or
 * not), BTK_ENOMEM when none could be. */
int btk_wire_send(int fd, int error, const btk_proc_result *r);

/* True when data[0..len) holds at least one whole frame according to its length prefix
 * (whether or not it is valid): the reader can stop reading there. */
bool btk_wire_frame_complete(const void *data, size_t len);

/* Parse exactly one frame of len bytes at data. On success *kind_out says what it was:
 * BTK_WIRE_RESULT fills *out (arrays btk__malloc'd; free with btk_proc_result_clear),
 * BTK_WIRE_ERROR copies the message into msg (size msg_len). A truncated, oversized or
 * inconsistent frame is BTK_EFORMAT with a message saying what was wrong; *out is then
 * left empty. */
int btk_wire_decode(btk_wire_kind *kind_out, btk_proc_result *out, char *msg, size_t msg_len,
                    const void *data, size_t len);

#endif
