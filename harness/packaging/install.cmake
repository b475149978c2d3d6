# Install rules (included by the top-level CMakeLists.txt when BTK_INSTALL is on):
# libbenchtrack static and shared (soname libbenchtrack.so.0), libbenchtrack_main.a, the
# public headers, the benchtrack CLI (when built), the CMake package (benchtrackConfig.cmake,
# targets benchtrack::benchtrack, benchtrack::benchtrack_shared, benchtrack::main), the
# pkg-config file benchtrack.pc, and the man pages (docs/CMakeLists.txt). `cpack -G DEB`
# packages the same tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS benchtrack_static benchtrack_shared benchtrack_main
        EXPORT benchtrackTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
if(TARGET benchtrack)
  install(TARGETS benchtrack RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(btk_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/benchtrack)
install(EXPORT benchtrackTargets NAMESPACE benchtrack:: DESTINATION ${btk_cmake_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/benchtrackConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/benchtrackConfig.cmake INSTALL_DESTINATION ${btk_cmake_dir})
# 0.x: a minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/benchtrackConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/benchtrackConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/benchtrackConfigVersion.cmake
        DESTINATION ${btk_cmake_dir})

# The .pc file finds its prefix from where it lies (${pcfiledir}), so an installed tree can
# be moved (cmake --install --prefix, DESTDIR, the .deb).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(BTK_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  string(REGEX REPLACE "[^/]+" ".." btk_up "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
  set(BTK_PC_PREFIX "\${pcfiledir}/${btk_up}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/benchtrack.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/benchtrack.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/benchtrack.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

add_subdirectory(${PROJECT_SOURCE_DIR}/docs ${CMAKE_CURRENT_BINARY_DIR}/docs)

# Debian package: `cpack -G DEB` in the build directory.
set(CPACK_PACKAGE_NAME benchtrack)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "benchtrack developers <benchtrack@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "C microbenchmark framework and performance-regression tracker")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libjansson-dev, pkg-config")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnuplot-nox")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
include(CPack)
