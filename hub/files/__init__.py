"""Attachments (lampiran): checking uploaded files, keeping them, and signed download links.

``kinds`` says what a file is from its bytes; ``images`` takes the location
out of a photo; ``prepare`` turns an upload into a checked file;
``store`` keeps the bytes (a local folder, or S3-compatible storage in
``s3``); ``links`` signs and checks short-lived download links.
"""
