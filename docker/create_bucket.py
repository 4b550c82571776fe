"""Create the stack's S3 bucket if it is missing (docker-compose.yml's `s3-init`).

Public media (``media/``, ``querystring_auth`` off in config/settings/base.py) must be
readable by anyone, through nginx's /media/; applicants' attachments (``private/``) by no
one without a signed URL. The bucket policy says exactly that: anonymous GetObject on
``media/*``, nothing else. Run again, it changes nothing. boto3 comes with django-storages,
so the app image runs it and the stack needs no other client image.
"""

import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def public_media_policy(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicMediaRead",
                "Effect": "Allow",
                "Principal": {"AWS": ["*"]},
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/media/*"],
            }
        ],
    }


def ensure_bucket(client, bucket):
    """Create ``bucket`` if needed and set its policy; return whether it was created."""
    try:
        client.head_bucket(Bucket=bucket)
        created = False
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
        client.create_bucket(Bucket=bucket)
        created = True
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_media_policy(bucket)))
    return created


def main():
    bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or "us-east-1",
    )
    created = ensure_bucket(client, bucket)
    print(f"create_bucket: {bucket} {'created' if created else 'already there'}, media/ public, private/ not")
    return 0


if __name__ == "__main__":
    sys.exit(main())
