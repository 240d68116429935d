# Installs the systemd unit with ExecStart and Documentation pointing into the prefix used at
# install time (`cmake --install build --prefix DIR` included). Variables set by install(CODE):
# SCIMLDAP_UNIT_SOURCE, SCIMLDAP_UNIT_STAGING, SCIMLDAP_BINDIR, SCIMLDAP_DOCDIR (relative to the
# prefix unless absolute).
foreach(var BINDIR DOCDIR)
  if(IS_ABSOLUTE "${SCIMLDAP_${var}}")
    set(full_${var} "${SCIMLDAP_${var}}")
  else()
    set(full_${var} "${CMAKE_INSTALL_PREFIX}/${SCIMLDAP_${var}}")
  endif()
endforeach()
file(READ "${SCIMLDAP_UNIT_SOURCE}" unit)
string(REPLACE "/usr/bin/scim-ldap-bridge" "${full_BINDIR}/scim-ldap-bridge" unit "${unit}")
string(REPLACE "/usr/share/doc/scim-ldap-bridge" "${full_DOCDIR}" unit "${unit}")
get_filename_component(staging_dir "${SCIMLDAP_UNIT_STAGING}" DIRECTORY)
file(MAKE_DIRECTORY "${staging_dir}")
file(WRITE "${SCIMLDAP_UNIT_STAGING}" "${unit}")
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" TYPE FILE
     FILES "${SCIMLDAP_UNIT_STAGING}")
