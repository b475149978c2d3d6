/* Placeholder: the model's functions arrive with the store issue. */
#include "model.h"
