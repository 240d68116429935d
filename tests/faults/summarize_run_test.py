#!/usr/bin/env python3
"""Unit tests of summarize_run.py: figures of hand-made journals around a fault window."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import summarize_run as sr  # noqa: E402


def answer(sent, answered, status, retry_after=None, **extra):
    e = {"sent": sent, "answered": answered, "status": status, "kind": "user", "attempt": 1}
    if retry_after:
        e["retry_after"] = retry_after
    e.update(extra)
    return e


def probe(answered, status):
    return {"sent": answered, "answered": answered, "status": status, "kind": "probe"}


class FaultWindow(unittest.TestCase):
    # slapd killed at 10, started again at 13, answering at 13.5.
    def window(self, entries, probes=()):
        return sr.fault_window(entries, list(probes), 10.0, 13.0, 13.5)

    def test_503_with_retry_after_while_down_is_not_counted_as_wrong(self):
        w = self.window([answer(9.9, 10.2, 503, "5"), answer(11, 11.1, 503, "5")])
        self.assertEqual(w["answers_while_down"], {"503": 2})
        self.assertEqual(w["while_down_not_503_with_retry_after"], 0)

    def test_500_and_503_without_retry_after_while_down_are_counted(self):
        w = self.window([answer(10.1, 10.2, 500), answer(11, 11.1, 503)])
        self.assertEqual(w["while_down_not_503_with_retry_after"], 2)

    def test_first_success_is_measured_from_slapd_answering(self):
        w = self.window([answer(13.6, 14.2, 200), answer(13.7, 14.9, 201)])
        self.assertAlmostEqual(w["first_success_after_back_s"], 0.7)

    def test_request_sent_before_back_does_not_count_as_sent_after(self):
        w = self.window([answer(12.0, 14.0, 200), answer(13.6, 15.0, 200),
                         answer(13.7, 13.8, 503, "5")])
        self.assertAlmostEqual(w["first_success_sent_after_back_s"], 1.5)
        self.assertEqual(w["failures_sent_after_back"], 1)

    def test_readyz_while_down_and_when_ready_again(self):
        w = self.window([], [probe(9.9, 200), probe(10.1, 200), probe(10.3, 503),
                             probe(13.2, 503), probe(14.1, 200)])
        self.assertAlmostEqual(w["readyz_not_ready_after_fault_s"], 0.3)
        self.assertEqual(w["readyz_while_down"], {"200": 1, "503": 1})  # 13.2: restarted
        self.assertAlmostEqual(w["readyz_ready_after_restart_s"], 1.1)

    def test_readyz_ready_throughout_has_no_not_ready_time(self):
        w = self.window([], [probe(10.5, 200), probe(12.5, 200)])
        self.assertIsNone(w["readyz_not_ready_after_fault_s"])


class Requests(unittest.TestCase):
    def test_statuses_hangs_and_deadline_are_counted(self):
        s = sr.requests_summary([answer(0, 0.1, 200), answer(0, 31, 503, "5"),
                                 answer(0, 60, 0, connection_error=False, timed_out=True)], 30)
        self.assertEqual(s["statuses"], {"200": 1, "503": 1, "no_answer": 1})
        self.assertEqual(s["no_answer"], 1)
        self.assertEqual(s["client_timeouts"], 1)
        self.assertEqual(s["over_request_timeout"], 2)
        self.assertEqual(s["server_errors"], 1)


if __name__ == "__main__":
    unittest.main()
