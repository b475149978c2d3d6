// Compiles the public umbrella header alone as C++ (extern "C", no C-only constructs at
// declaration level).
#include <benchtrack.h>

int btk_header_test_cxx();
int btk_header_test_cxx()
{
    return BTK_OK + (btk_error_last() != nullptr ? 0 : 1);
}
