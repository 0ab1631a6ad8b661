"""studyaws: an offline terminal study tool for AWS messaging and serverless."""

__version__ = "0.1.0"
