#include "intel/eml.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace jaga {

namespace {
const char* phishing_email =
    "Return-Path: <bounce@mailer.bad-sender.com>\r\n"
    "Received: from mail.bad-sender.com (mail.bad-sender.com [198.51.100.77])\r\n"
    "\tby mx.example.go.id with ESMTP id abc; Tue, 25 Nov 2025 10:00:00 +0700\r\n"
    "Received: from internal (10.0.0.5) by relay\r\n"
    "From: \"Bank Mandiri\" <security@bank-mandlri.com>\r\n"
    "Reply-To: collect@phish-collector.net\r\n"
    "Subject: =?utf-8?B?VmVyaWZpa2FzaQ==?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=\"XYZ\"\r\n"
    "\r\n"
    "--XYZ\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Silakan verifikasi di https://bank-mandlri.com/verif=\r\n"
    "y?id=3D42\r\n"
    "--XYZ\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    // <a href="https://login.phish-collector.net/a?x=1&amp;y=2">Klik</a><img src="http://203.0.113.9/t.gif">
    "PGEgaHJlZj0iaHR0cHM6Ly9sb2dpbi5waGlzaC1jb2xsZWN0b3IubmV0L2E/eD0xJmFtcDt5PTIiPktsaWs8L2E+PGltZyBz\r\n"
    "cmM9Imh0dHA6Ly8yMDMuMC4xMTMuOS90LmdpZiI+\r\n"
    "--XYZ--\r\n";
}  // namespace

TEST(Email, ParsesHeadersAndDecodesParts) {
  auto message = parse_email(phishing_email);
  EXPECT_EQ(message.header("Reply-To"), "collect@phish-collector.net");
  EXPECT_EQ(message.all_headers("received").size(), 2u);
  ASSERT_EQ(message.parts.size(), 2u);
  EXPECT_EQ(message.parts[0].content_type, "text/plain");
  EXPECT_NE(message.parts[0].text.find("verify?id=42"), std::string::npos);
  EXPECT_EQ(message.parts[1].content_type, "text/html");
  EXPECT_NE(message.parts[1].text.find("login.phish-collector.net"), std::string::npos);
}

TEST(Email, ExtractsSendersRelaysAndLinks) {
  auto found = extract_email_indicators(phishing_email, "phish.eml");
  std::vector<std::string> values;
  for (const auto& i : found) values.push_back(i.type + ":" + i.value);
  auto has = [&](const std::string& v) { return std::find(values.begin(), values.end(), v) != values.end(); };
  EXPECT_TRUE(has("email:bounce@mailer.bad-sender.com"));
  EXPECT_TRUE(has("email:security@bank-mandlri.com"));
  EXPECT_TRUE(has("email:collect@phish-collector.net"));
  EXPECT_TRUE(has("ipv4:198.51.100.77"));
  EXPECT_FALSE(has("ipv4:10.0.0.5")) << "private relays are not indicators";
  EXPECT_TRUE(has("url:https://bank-mandlri.com/verify?id=42"));
  EXPECT_TRUE(has("url:https://login.phish-collector.net/a?x=1&y=2"));
  EXPECT_TRUE(has("url:http://203.0.113.9/t.gif"));
  for (const auto& i : found) EXPECT_EQ(i.source, "phish.eml");
}

TEST(Email, RecognisesSavedEmails) {
  EXPECT_TRUE(looks_like_email("Pesan.EML", "application/octet-stream", ""));
  EXPECT_TRUE(looks_like_email("x", "message/rfc822", ""));
  EXPECT_TRUE(looks_like_email("x.txt", "text/plain", "From: a@b.c\nSubject: hi\n\nbody"));
  EXPECT_FALSE(looks_like_email("photo.png", "image/png", "\x89PNG"));
}

TEST(Email, HostileNestingIsBounded) {
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += "Content-Type: message/rfc822\r\n\r\n";
  nested += "http://deep.example.com/";
  auto found = extract_email_indicators(nested, "x.eml");
  EXPECT_TRUE(found.empty());
}

}  // namespace jaga
