#!/bin/sh
# The app's own MinIO user (docker-compose.yml's `s3-user`, run once per `up` after s3-init):
# S3_ACCESS_KEY / S3_SECRET_KEY with the policy docker/s3-app-policy.json, which allows the
# site's bucket (quartierscafes) and nothing else: no other bucket, no bucket policy, no admin.
# MinIO's root keys (S3_ROOT_USER / S3_ROOT_PASSWORD) serve here and in s3-init only. Run
# again, it changes nothing (the policy and the user are overwritten with the same values).
set -eu
mc alias set stack http://s3:9000 "$S3_ROOT_USER" "$S3_ROOT_PASSWORD" >/dev/null
mc admin policy create stack quartierscafes-app /policy/s3-app-policy.json
mc admin user add stack "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
# « already attached » on a second run is not an error.
mc admin policy attach stack quartierscafes-app --user "$S3_ACCESS_KEY" \
    || mc admin policy entities stack --user "$S3_ACCESS_KEY" | grep -q quartierscafes-app
echo "s3-user: $S3_ACCESS_KEY limited to the bucket quartierscafes"
