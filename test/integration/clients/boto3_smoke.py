"""Drives studio-sso with boto3, the way a Python user would. Prints one JSON object."""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = os.environ["AWS_ENDPOINT_URL"]
session = boto3.session.Session(
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    region_name=os.environ["AWS_DEFAULT_REGION"],
)
sso_admin = session.client("sso-admin", endpoint_url=endpoint)
identity_store = session.client("identitystore", endpoint_url=endpoint)
organizations = session.client("organizations", endpoint_url=endpoint)

result = {}
result["organization"] = organizations.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
sso_admin.create_instance(Name="from-boto3")
store = sso_admin.list_instances()["Instances"][0]["IdentityStoreId"]
result["store"] = store
user_ids = []
for i in range(7):
    user_ids.append(
        identity_store.create_user(
            IdentityStoreId=store,
            UserName=f"py-user-{i}",
            DisplayName=f"Py User {i}",
            Name={"GivenName": "Py", "FamilyName": f"User{i}"},
            Emails=[{"Value": f"py{i}@example.com", "Type": "work", "Primary": True}],
        )["UserId"]
    )
paginator = identity_store.get_paginator("list_users")
result["paged_users"] = sorted(
    u["UserName"] for page in paginator.paginate(IdentityStoreId=store, PaginationConfig={"PageSize": 3}) for u in page["Users"]
)
result["user_id_by_email"] = identity_store.get_user_id(
    IdentityStoreId=store,
    AlternateIdentifier={"UniqueAttribute": {"AttributePath": "emails.value", "AttributeValue": "py3@example.com"}},
)["UserId"] == user_ids[3]
try:
    identity_store.create_user(
        IdentityStoreId=store, UserName="PY-USER-0", DisplayName="dup", Name={"GivenName": "a", "FamilyName": "b"}
    )
except ClientError as error:
    result["duplicate"] = [error.response["Error"]["Code"], error.response["Error"]["Message"]]
try:
    identity_store.describe_user(IdentityStoreId=store, UserId="00000000-0000-0000-0000-000000000000")
except ClientError as error:
    result["missing"] = error.response["Error"]["Code"]
json.dump(result, sys.stdout)
