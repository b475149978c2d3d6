/*
 * benchtrack error codes and the last-error record.
 *
 * Every benchtrack function that can fail returns 0 or one of the negative codes below and
 * records a one-line message, readable through btk_error_last() on the same thread.
 */
#ifndef BENCHTRACK_ERROR_H
#define BENCHTRACK_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes: a small closed set. 0 is success. @since 0.1 */
enum {
    BTK_OK = 0,
    BTK_ERROR = -1,        /**< generic failure */
    BTK_ENOMEM = -2,       /**< out of memory */
    BTK_EINVAL = -3,       /**< invalid argument or usage */
    BTK_ENOTFOUND = -4,    /**< the named thing does not exist */
    BTK_EIO = -5,          /**< input/output, database or OS failure */
    BTK_EFORMAT = -6,      /**< malformed JSON, database or config */
    BTK_ESCHEMA = -7,      /**< database written by a newer benchtrack */
    BTK_EUNSUPPORTED = -8, /**< feature the machine or build lacks */
    BTK_ECHILD = -9        /**< a benchmark process crashed or timed out */
};

/** The last error recorded on this thread. @since 0.1 */
typedef struct btk_error {
    int code;           /**< one of the codes above, BTK_OK when none */
    char message[256];  /**< one line, no trailing period */
} btk_error;

/**
 * Return the last error recorded on the calling thread.
 *
 * @return a pointer to thread-local storage, never NULL; code is BTK_OK and message empty
 *         when no error was recorded since the last btk_error_clear().
 * @since 0.1
 */
BTK_API const btk_error *btk_error_last(void);

/** Forget the last error of the calling thread. @since 0.1 */
BTK_API void btk_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
