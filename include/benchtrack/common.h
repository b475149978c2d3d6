/* Shared definitions for the public benchtrack headers: export macro and version. */
#ifndef BENCHTRACK_COMMON_H
#define BENCHTRACK_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(BTK_BUILDING)
#define BTK_API __attribute__((visibility("default")))
#else
#define BTK_API
#endif

#define BTK_VERSION_MAJOR 0
#define BTK_VERSION_MINOR 1
#define BTK_VERSION_PATCH 0

#endif
