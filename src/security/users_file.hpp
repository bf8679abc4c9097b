#pragma once
// The ONVIF users as an htdigest-style file for the device's other servers
// (its RTSP server above all: Profile S/T streams need the same users with
// HTTP/RTSP Digest). One line per user, "name:realm:HA1", HA1 being the
// RFC 2617 MD5(name:realm:password) that Apache's htdigest and GStreamer's
// gst_rtsp_auth_parse_htdigest read; the passwords themselves never leave
// the settings file. Written whenever the users change and at start-up,
// by write-to-temporary, fsync, rename (a reader sees the old or the new
// file, never a mix), mode 0600.
#include <string>
#include <vector>

#include "security/user_store.hpp"

namespace onvif::security {

// The file's text for these users.
std::string usersFileText(const std::string& realm, const std::vector<User>& users);

// Replaces `path` atomically with the text. False with `error` set on failure.
bool writeUsersFile(const std::string& path, const std::string& realm, const std::vector<User>& users,
                    std::string* error);

}  // namespace onvif::security
