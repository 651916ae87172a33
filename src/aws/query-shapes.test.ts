import { describe, expect, it } from 'vitest';
import { loadServiceModel } from './models/load-model.js';
import { decodeQueryInput, encodeQueryOutput, QueryDecodingError } from './query-shapes.js';

const model = loadServiceModel('cloudformation');
const form = (body: string) => {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body)) if (k !== 'Action' && k !== 'Version') params.set(k, v);
  return params;
};

describe('the awsQuery protocol', () => {
  it('turns form parameters into the JSON input the model describes', () => {
    const input = decodeQueryInput(
      model,
      'CreateStackInput',
      form(
        'Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=a%20b%2Bc&DisableRollback=true&TimeoutInMinutes=5' +
          '&Parameters.member.2.ParameterKey=B&Parameters.member.2.UsePreviousValue=true' +
          '&Parameters.member.1.ParameterKey=A&Parameters.member.1.ParameterValue=x%2Cy' +
          '&Capabilities.member.1=CAPABILITY_IAM&NotificationARNs=&Tags.member.1.Key=k&Tags.member.1.Value=v',
      ),
    );
    expect(input).toEqual({
      StackName: 's',
      TemplateBody: 'a b+c',
      DisableRollback: true,
      TimeoutInMinutes: 5,
      Parameters: [
        { ParameterKey: 'A', ParameterValue: 'x,y' },
        { ParameterKey: 'B', UsePreviousValue: true },
      ],
      Capabilities: ['CAPABILITY_IAM'],
      // botocore sends an empty list as `Name=`.
      NotificationARNs: [],
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    expect(() => decodeQueryInput(model, 'CreateStackInput', form('TimeoutInMinutes=soon'))).toThrow(
      QueryDecodingError,
    );
  });

  it('writes outputs as XML with <member> lists, ISO timestamps and escaped text', () => {
    const xml = encodeQueryOutput(model, 'DescribeStacksOutput', {
      Stacks: [
        {
          StackName: 'a<b>',
          CreationTime: new Date('2024-12-04T10:00:00.123Z'),
          StackStatus: 'CREATE_COMPLETE',
          DisableRollback: false,
          Outputs: [{ OutputKey: 'K', OutputValue: 'V & W' }],
        },
      ],
    });
    expect(xml).toBe(
      '<Stacks><member><CreationTime>2024-12-04T10:00:00.123Z</CreationTime><DisableRollback>false</DisableRollback>' +
        '<Outputs><member><OutputKey>K</OutputKey><OutputValue>V &amp; W</OutputValue></member></Outputs>' +
        '<StackName>a&lt;b&gt;</StackName><StackStatus>CREATE_COMPLETE</StackStatus></member></Stacks>',
    );
  });
});
