/*
 * benchtrack: the one header a benchmark author includes.
 */
#ifndef BENCHTRACK_H
#define BENCHTRACK_H

#include "benchtrack/common.h"
#include "benchtrack/error.h"
#include "benchtrack/bench.h"

#endif
