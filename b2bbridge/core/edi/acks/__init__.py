"""Acknowledgements: 997, 999, TA1 and CONTRL we send; the acks we receive.

``outcome`` folds the reader's events into what happened to each interchange, group and
transaction; ``status`` judges an outcome in X12 terms; ``x12`` and ``edifact`` render the
acks we send; ``inbound`` (with ``inbound_edifact`` and ``verdicts``) reads the acks
partners send us.
"""
