#pragma once
// What clients set (users, scopes, encoder settings, ...) survives restarts
// and crashes: one file of `[area]` sections with `key = value` lines, always
// replaced whole by write-to-temporary, fsync, rename, fsync of the folder,
// so a crash leaves either the old file or the new one, never a mix.
//
// Each subsystem owns one area (its own section name) and reads/writes only
// that one. A put() that cannot be made durable changes nothing, in memory
// or on disk, and the handler answers with a fault.
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace onvif::state {

// One area's keys and values. Values may hold any bytes but NUL; lists are
// stored as numbered keys (see setList/getList).
using Section = std::map<std::string, std::string>;

class SettingsStore {
 public:
  // An empty path keeps settings in memory only (unit tests, read-only media).
  explicit SettingsStore(std::string path = {});

  // Reads the file. A missing file is an empty store. A damaged one is kept
  // aside (renamed to <path>.damaged-<unix time>, never overwritten) and the
  // store starts empty, i.e. from defaults; `warning` then says why and where
  // the file went. false only when the file can't be read or set aside.
  bool load(std::string* error, std::string* warning = nullptr);

  Section get(const std::string& area) const;
  bool has(const std::string& area) const;

  // Replaces one area (an empty section removes it) and persists atomically.
  bool put(const std::string& area, const Section& values, std::string* error);
  // Replaces several areas in one atomic write (e.g. a factory reset).
  bool putMany(const std::map<std::string, Section>& areas, std::string* error);
  // Removes every area except those named (factory default keeps identity).
  bool clearAllExcept(const std::vector<std::string>& keep, std::string* error);
  // Every area, and the whole store replaced by such a copy (a factory
  // default puts the settings back when its hook fails).
  std::map<std::string, Section> all() const;
  bool replaceAll(const std::map<std::string, Section>& areas, std::string* error);

  const std::string& path() const { return path_; }

  // Serialisation, exposed for tests and the fuzz target.
  static std::string serialize(const std::map<std::string, Section>& areas);
  static bool parse(const std::string& text, std::map<std::string, Section>* areas, std::string* error);

 private:
  bool persistLocked(const std::map<std::string, Section>& next, std::string* error);

  std::string path_;
  mutable std::mutex mutex_;
  std::map<std::string, Section> areas_;
};

// Lists as numbered keys: prefix.0, prefix.1, ... (prefix.count holds the size).
void setList(Section* section, const std::string& prefix, const std::vector<std::string>& items);
std::vector<std::string> getList(const Section& section, const std::string& prefix);

// Typed reads with a fallback for a missing or malformed value.
std::string getString(const Section& section, const std::string& key, const std::string& fallback);
long long getInt(const Section& section, const std::string& key, long long fallback);
bool getBool(const Section& section, const std::string& key, bool fallback);

}  // namespace onvif::state
