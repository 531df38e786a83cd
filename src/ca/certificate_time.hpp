#pragma once

#include <openssl/asn1.h>

#include <chrono>

namespace getmesh::ca {

// An ASN.1 UTCTime or GeneralizedTime as a time point. Private to src/ca.
std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time);

}  // namespace getmesh::ca
