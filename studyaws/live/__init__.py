"""Checking the model against a real SQS/SNS API: `sandbox --against` and `studyaws verify`.

This package is shell-side: it talks to a real endpoint (a moto server, LocalStack, ElasticMQ or
AWS itself) and waits real time. boto3 is an optional extra and is imported only inside the
functions that need it (`backend.connect`), so no other command pays for it.

- `divergences.py` — where moto departs from AWS (data; the oracle tests execute it);
- `catalogue.py` — the verification cases as data: short sandbox scripts with short timeouts;
- `labels.py` — real message ids, receipts and subscriptions named `m1`, `m1#1`, `sub1` (pure);
- `diff.py` — what is compared between a model result and a real one (pure);
- `safety.py` — the `studyaws-verify-<random>` prefix, the request and cost estimate (pure), and
  deleting what a run created;
- `backend.py` — sandbox commands run through boto3, answered in the sandbox's JSON contract;
- `verify.py` — running a script or the catalogue on the model and on the endpoint, side by side.

The model side is always `studyaws.sandbox.Session`: nothing here parses the language or
implements an AWS rule.
"""
